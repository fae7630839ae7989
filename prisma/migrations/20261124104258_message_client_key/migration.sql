-- AlterTable
ALTER TABLE "Message" ADD COLUMN "clientKey" TEXT;

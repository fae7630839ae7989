-- DropIndex
DROP INDEX "Message_threadId_idx";

-- CreateTable
CREATE TABLE "Mailbox" (
    "agentId" TEXT NOT NULL PRIMARY KEY,
    "ackedUpTo" INTEGER NOT NULL,
    "ackedAt" DATETIME NOT NULL
);

-- Acks were a column per delivery; they are cumulative, so each mailbox's acked prefix becomes its watermark.
INSERT INTO "Mailbox" ("agentId", "ackedUpTo", "ackedAt")
SELECT "agentId", MAX("seq"), MAX("ackedAt") FROM "MessageDelivery" WHERE "ackedAt" IS NOT NULL GROUP BY "agentId";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_MessageDelivery" (
    "agentId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "messageId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("agentId", "seq")
);
INSERT INTO "new_MessageDelivery" ("agentId", "createdAt", "messageId", "seq") SELECT "agentId", "createdAt", "messageId", "seq" FROM "MessageDelivery";
DROP TABLE "MessageDelivery";
ALTER TABLE "new_MessageDelivery" RENAME TO "MessageDelivery";
CREATE INDEX "MessageDelivery_messageId_idx" ON "MessageDelivery"("messageId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

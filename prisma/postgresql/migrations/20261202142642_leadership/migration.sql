-- CreateTable
CREATE TABLE "Leadership" (
    "name" TEXT NOT NULL,
    "holder" TEXT,
    "epoch" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" BIGINT NOT NULL DEFAULT 0,
    "address" TEXT,

    CONSTRAINT "Leadership_pkey" PRIMARY KEY ("name")
);

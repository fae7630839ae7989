-- CreateTable
CREATE TABLE "Leadership" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT,
    "epoch" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" BIGINT NOT NULL DEFAULT 0,
    "address" TEXT
);

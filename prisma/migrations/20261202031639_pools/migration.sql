-- CreateTable
CREATE TABLE "Pool" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "card" TEXT NOT NULL,
    "launch" TEXT NOT NULL,
    "policy" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "tokenId" TEXT,
    "tokenSecret" TEXT,
    "createdBy" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PoolInstance" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "poolId" TEXT NOT NULL,
    "pid" INTEGER,
    "state" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "crashes" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "PoolDecision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "poolId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "fromCount" INTEGER NOT NULL,
    "toCount" INTEGER NOT NULL,
    "wanted" INTEGER NOT NULL,
    "reactive" INTEGER NOT NULL,
    "predictive" INTEGER,
    "backlog" INTEGER NOT NULL,
    "busySlots" INTEGER NOT NULL,
    "forecastSlots" REAL,
    "rule" TEXT NOT NULL,
    "reason" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Pool_name_key" ON "Pool"("name");

-- CreateIndex
CREATE INDEX "PoolInstance_poolId_idx" ON "PoolInstance"("poolId");

-- CreateIndex
CREATE INDEX "PoolDecision_poolId_at_idx" ON "PoolDecision"("poolId", "at");

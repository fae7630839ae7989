-- CreateTable
CREATE TABLE "AlertRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "params" TEXT NOT NULL DEFAULT '{}',
    "severity" TEXT NOT NULL DEFAULT 'warning',
    "labels" TEXT NOT NULL DEFAULT '{}',
    "forMs" INTEGER NOT NULL DEFAULT 0,
    "keepFiringForMs" INTEGER NOT NULL DEFAULT 0,
    "repeatIntervalMs" INTEGER NOT NULL DEFAULT 14400000,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "createdBy" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AlertInstance" (
    "fingerprint" TEXT NOT NULL PRIMARY KEY,
    "ruleId" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "activeAt" DATETIME NOT NULL,
    "firingAt" DATETIME,
    "lastTrueAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "value" REAL,
    "summary" TEXT NOT NULL,
    "notified" TEXT,
    "lastNotifiedAt" DATETIME,
    "ackBy" TEXT,
    "ackAt" DATETIME,
    "ackComment" TEXT
);

-- CreateTable
CREATE TABLE "AlertTransition" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "fingerprint" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "fromPhase" TEXT NOT NULL,
    "toPhase" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "value" REAL,
    "summary" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "AlertSilence" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "matchers" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AlertChannel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "config" TEXT NOT NULL,
    "matchers" TEXT NOT NULL DEFAULT '[]',
    "minSeverity" TEXT NOT NULL DEFAULT 'info',
    "groupBy" TEXT NOT NULL DEFAULT '[]',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AlertDelivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channelId" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "status" INTEGER,
    "error" TEXT,
    "alerts" INTEGER NOT NULL,
    "durationMs" REAL NOT NULL
);

-- CreateIndex
CREATE INDEX "AlertInstance_ruleId_idx" ON "AlertInstance"("ruleId");

-- CreateIndex
CREATE INDEX "AlertTransition_at_idx" ON "AlertTransition"("at");

-- CreateIndex
CREATE INDEX "AlertTransition_fingerprint_at_idx" ON "AlertTransition"("fingerprint", "at");

-- CreateIndex
CREATE INDEX "AlertSilence_endsAt_idx" ON "AlertSilence"("endsAt");

-- CreateIndex
CREATE INDEX "AlertDelivery_channelId_at_idx" ON "AlertDelivery"("channelId", "at");

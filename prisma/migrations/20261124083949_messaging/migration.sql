-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "fromAgentId" TEXT,
    "fromName" TEXT NOT NULL,
    "toKind" TEXT NOT NULL,
    "toValue" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "replyTo" TEXT,
    "importance" TEXT NOT NULL DEFAULT 'normal',
    "body" TEXT NOT NULL,
    "data" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MessageDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "agentId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "messageId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "ackedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Agent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'sdk',
    "status" TEXT NOT NULL DEFAULT 'offline',
    "capabilities" TEXT NOT NULL DEFAULT '[]',
    "labels" TEXT NOT NULL DEFAULT '{}',
    "channels" TEXT NOT NULL DEFAULT '[]',
    "slots" INTEGER NOT NULL DEFAULT 1,
    "version" TEXT NOT NULL DEFAULT '',
    "cpu" REAL,
    "memoryMb" REAL,
    "lastHeartbeatAt" DATETIME,
    "connectedAt" DATETIME,
    "tokenId" TEXT,
    "credentialHash" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Agent" ("capabilities", "connectedAt", "cpu", "createdAt", "credentialHash", "id", "kind", "labels", "lastHeartbeatAt", "memoryMb", "name", "slots", "status", "tokenId", "updatedAt", "version") SELECT "capabilities", "connectedAt", "cpu", "createdAt", "credentialHash", "id", "kind", "labels", "lastHeartbeatAt", "memoryMb", "name", "slots", "status", "tokenId", "updatedAt", "version" FROM "Agent";
DROP TABLE "Agent";
ALTER TABLE "new_Agent" RENAME TO "Agent";
CREATE UNIQUE INDEX "Agent_name_key" ON "Agent"("name");
CREATE INDEX "Agent_status_idx" ON "Agent"("status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Message_threadId_idx" ON "Message"("threadId");

-- CreateIndex
CREATE INDEX "Message_createdAt_idx" ON "Message"("createdAt");

-- CreateIndex
CREATE INDEX "MessageDelivery_agentId_ackedAt_idx" ON "MessageDelivery"("agentId", "ackedAt");

-- CreateIndex
CREATE INDEX "MessageDelivery_messageId_idx" ON "MessageDelivery"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "MessageDelivery_agentId_seq_key" ON "MessageDelivery"("agentId", "seq");

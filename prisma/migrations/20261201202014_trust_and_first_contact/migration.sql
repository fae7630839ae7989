-- AlterTable
ALTER TABLE "Task" ADD COLUMN "submittedBy" TEXT;

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
    "offlineReason" TEXT,
    "acceptFrom" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Agent" ("capabilities", "channels", "connectedAt", "cpu", "createdAt", "credentialHash", "id", "kind", "labels", "lastHeartbeatAt", "memoryMb", "name", "slots", "status", "tokenId", "updatedAt", "version") SELECT "capabilities", "channels", "connectedAt", "cpu", "createdAt", "credentialHash", "id", "kind", "labels", "lastHeartbeatAt", "memoryMb", "name", "slots", "status", "tokenId", "updatedAt", "version" FROM "Agent";
DROP TABLE "Agent";
ALTER TABLE "new_Agent" RENAME TO "Agent";
CREATE UNIQUE INDEX "Agent_name_key" ON "Agent"("name");
CREATE INDEX "Agent_status_idx" ON "Agent"("status");
CREATE TABLE "new_ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT 'agent',
    "canSubmit" BOOLEAN NOT NULL DEFAULT false,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME
);
INSERT INTO "new_ApiToken" ("createdAt", "expiresAt", "hash", "id", "lastUsedAt", "name", "prefix", "revokedAt", "scope") SELECT "createdAt", "expiresAt", "hash", "id", "lastUsedAt", "name", "prefix", "revokedAt", "scope" FROM "ApiToken";
DROP TABLE "ApiToken";
ALTER TABLE "new_ApiToken" RENAME TO "ApiToken";
CREATE UNIQUE INDEX "ApiToken_hash_key" ON "ApiToken"("hash");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

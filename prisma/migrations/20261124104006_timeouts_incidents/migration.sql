-- AlterTable
ALTER TABLE "Task" ADD COLUMN "progressTimeoutMs" INTEGER;
ALTER TABLE "Task" ADD COLUMN "queueTimeoutMs" INTEGER;

-- CreateTable
CREATE TABLE "Incident" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "agentId" TEXT,
    "taskId" TEXT,
    "message" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "Incident_at_idx" ON "Incident"("at");

-- CreateIndex
CREATE INDEX "Incident_kind_at_idx" ON "Incident"("kind", "at");

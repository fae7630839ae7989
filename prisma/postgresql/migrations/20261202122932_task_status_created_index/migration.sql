-- DropIndex
DROP INDEX "Task_status_priority_idx";

-- CreateIndex
CREATE INDEX "Task_status_createdAt_idx" ON "Task"("status", "createdAt");

-- CreateTable
CREATE TABLE "ReportSchedule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "catchUp" TEXT NOT NULL,
    "channelIds" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "builtIn" BOOLEAN NOT NULL,
    "through" DATETIME,
    "createdBy" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Report" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "scheduleId" TEXT,
    "from" DATETIME NOT NULL,
    "to" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "createdBy" TEXT,
    "data" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "ReportSchedule_name_key" ON "ReportSchedule"("name");

-- CreateIndex
CREATE INDEX "Report_createdAt_idx" ON "Report"("createdAt");

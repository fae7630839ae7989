-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Agent" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'sdk',
    "status" TEXT NOT NULL DEFAULT 'offline',
    "capabilities" TEXT NOT NULL DEFAULT '[]',
    "labels" TEXT NOT NULL DEFAULT '{}',
    "channels" TEXT NOT NULL DEFAULT '[]',
    "slots" INTEGER NOT NULL DEFAULT 1,
    "version" TEXT NOT NULL DEFAULT '',
    "cpu" DOUBLE PRECISION,
    "memoryMb" DOUBLE PRECISION,
    "lastHeartbeatAt" TIMESTAMPTZ(3),
    "connectedAt" TIMESTAMPTZ(3),
    "tokenId" TEXT,
    "credentialHash" TEXT,
    "offlineReason" TEXT,
    "acceptFrom" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "command" TEXT,
    "payload" TEXT NOT NULL DEFAULT 'null',
    "requirements" TEXT NOT NULL DEFAULT '[]',
    "labelSelector" TEXT NOT NULL DEFAULT '{}',
    "priority" INTEGER NOT NULL DEFAULT 0,
    "strategy" TEXT,
    "status" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "avoidAgentIds" TEXT NOT NULL DEFAULT '[]',
    "maxAttempts" INTEGER NOT NULL DEFAULT 3,
    "backoffMs" INTEGER NOT NULL DEFAULT 1000,
    "timeoutMs" INTEGER,
    "progressTimeoutMs" INTEGER,
    "queueTimeoutMs" INTEGER,
    "notBefore" TIMESTAMPTZ(3),
    "leaseExpiresAt" TIMESTAMPTZ(3),
    "agentId" TEXT,
    "idempotencyKey" TEXT,
    "runId" TEXT,
    "stepId" TEXT,
    "template" TEXT,
    "submittedBy" TEXT,
    "progress" DOUBLE PRECISION,
    "result" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "assignedAt" TIMESTAMPTZ(3),
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaskEvent" (
    "id" SERIAL NOT NULL,
    "taskId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "type" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "agentId" TEXT,
    "message" TEXT,
    "data" TEXT,

    CONSTRAINT "TaskEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaskLog" (
    "id" SERIAL NOT NULL,
    "taskId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "stream" TEXT NOT NULL,
    "line" TEXT NOT NULL,

    CONSTRAINT "TaskLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentSample" (
    "id" SERIAL NOT NULL,
    "agentId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "cpu" DOUBLE PRECISION NOT NULL,
    "memoryMb" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "AgentSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT 'agent',
    "canSubmit" BOOLEAN NOT NULL DEFAULT false,
    "createdBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkflowTemplate" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "latestVersion" INTEGER NOT NULL,
    "builtin" BOOLEAN NOT NULL DEFAULT false,
    "params" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkflowTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkflowTemplateVersion" (
    "id" TEXT NOT NULL,
    "templateId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,

    CONSTRAINT "WorkflowTemplateVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkflowRun" (
    "id" TEXT NOT NULL,
    "templateName" TEXT NOT NULL,
    "templateVersion" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "params" TEXT NOT NULL DEFAULT '{}',
    "failurePolicy" TEXT NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "triggeredBy" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkflowRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkflowStep" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "templateStepId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "dependsOn" TEXT NOT NULL DEFAULT '[]',
    "def" TEXT NOT NULL,
    "fanIndex" INTEGER,
    "taskId" TEXT,
    "agentId" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "result" TEXT,
    "error" TEXT,
    "decisions" TEXT NOT NULL DEFAULT '[]',
    "approvalDeadline" TIMESTAMPTZ(3),
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "WorkflowStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "fromAgentId" TEXT,
    "fromName" TEXT NOT NULL,
    "toKind" TEXT NOT NULL,
    "toValue" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "replyTo" TEXT,
    "importance" TEXT NOT NULL DEFAULT 'normal',
    "body" TEXT NOT NULL,
    "data" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "clientKey" TEXT,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageDelivery" (
    "agentId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "messageId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MessageDelivery_pkey" PRIMARY KEY ("agentId","seq")
);

-- CreateTable
CREATE TABLE "Mailbox" (
    "agentId" TEXT NOT NULL,
    "ackedUpTo" INTEGER NOT NULL,
    "ackedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Mailbox_pkey" PRIMARY KEY ("agentId")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "disabledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "lastLoginAt" TIMESTAMPTZ(3),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "ip" TEXT NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "actorKind" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "ip" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "details" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "agentId" TEXT,
    "taskId" TEXT,
    "message" TEXT NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rollup" (
    "granularity" TEXT NOT NULL,
    "bucket" INTEGER NOT NULL,
    "dim" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "submitted" INTEGER NOT NULL DEFAULT 0,
    "started" INTEGER NOT NULL DEFAULT 0,
    "queueWaitMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "dead" INTEGER NOT NULL DEFAULT 0,
    "canceled" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "ran" INTEGER NOT NULL DEFAULT 0,
    "runTimeMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "busyMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "availMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "cpuSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "memSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "samples" INTEGER NOT NULL DEFAULT 0,
    "qw0" INTEGER NOT NULL DEFAULT 0,
    "qw1" INTEGER NOT NULL DEFAULT 0,
    "qw2" INTEGER NOT NULL DEFAULT 0,
    "qw3" INTEGER NOT NULL DEFAULT 0,
    "qw4" INTEGER NOT NULL DEFAULT 0,
    "qw5" INTEGER NOT NULL DEFAULT 0,
    "qw6" INTEGER NOT NULL DEFAULT 0,
    "qw7" INTEGER NOT NULL DEFAULT 0,
    "qw8" INTEGER NOT NULL DEFAULT 0,
    "qw9" INTEGER NOT NULL DEFAULT 0,
    "qw10" INTEGER NOT NULL DEFAULT 0,
    "qw11" INTEGER NOT NULL DEFAULT 0,
    "qw12" INTEGER NOT NULL DEFAULT 0,
    "qw13" INTEGER NOT NULL DEFAULT 0,
    "qw14" INTEGER NOT NULL DEFAULT 0,
    "qw15" INTEGER NOT NULL DEFAULT 0,
    "qw16" INTEGER NOT NULL DEFAULT 0,
    "qw17" INTEGER NOT NULL DEFAULT 0,
    "qw18" INTEGER NOT NULL DEFAULT 0,
    "qw19" INTEGER NOT NULL DEFAULT 0,
    "qw20" INTEGER NOT NULL DEFAULT 0,
    "qw21" INTEGER NOT NULL DEFAULT 0,
    "qw22" INTEGER NOT NULL DEFAULT 0,
    "qw23" INTEGER NOT NULL DEFAULT 0,
    "qw24" INTEGER NOT NULL DEFAULT 0,
    "qw25" INTEGER NOT NULL DEFAULT 0,
    "qw26" INTEGER NOT NULL DEFAULT 0,
    "qw27" INTEGER NOT NULL DEFAULT 0,
    "qw28" INTEGER NOT NULL DEFAULT 0,
    "qw29" INTEGER NOT NULL DEFAULT 0,
    "qw30" INTEGER NOT NULL DEFAULT 0,
    "qw31" INTEGER NOT NULL DEFAULT 0,
    "qw32" INTEGER NOT NULL DEFAULT 0,
    "qw33" INTEGER NOT NULL DEFAULT 0,
    "qw34" INTEGER NOT NULL DEFAULT 0,
    "qw35" INTEGER NOT NULL DEFAULT 0,
    "qw36" INTEGER NOT NULL DEFAULT 0,
    "qw37" INTEGER NOT NULL DEFAULT 0,
    "qw38" INTEGER NOT NULL DEFAULT 0,
    "qw39" INTEGER NOT NULL DEFAULT 0,
    "qw40" INTEGER NOT NULL DEFAULT 0,
    "qw41" INTEGER NOT NULL DEFAULT 0,
    "qw42" INTEGER NOT NULL DEFAULT 0,
    "qw43" INTEGER NOT NULL DEFAULT 0,
    "qw44" INTEGER NOT NULL DEFAULT 0,
    "qw45" INTEGER NOT NULL DEFAULT 0,
    "qw46" INTEGER NOT NULL DEFAULT 0,
    "qw47" INTEGER NOT NULL DEFAULT 0,
    "qw48" INTEGER NOT NULL DEFAULT 0,
    "qw49" INTEGER NOT NULL DEFAULT 0,
    "qw50" INTEGER NOT NULL DEFAULT 0,
    "qw51" INTEGER NOT NULL DEFAULT 0,
    "qw52" INTEGER NOT NULL DEFAULT 0,
    "qw53" INTEGER NOT NULL DEFAULT 0,
    "qw54" INTEGER NOT NULL DEFAULT 0,
    "qw55" INTEGER NOT NULL DEFAULT 0,
    "qw56" INTEGER NOT NULL DEFAULT 0,
    "qw57" INTEGER NOT NULL DEFAULT 0,
    "qw58" INTEGER NOT NULL DEFAULT 0,
    "qw59" INTEGER NOT NULL DEFAULT 0,
    "qw60" INTEGER NOT NULL DEFAULT 0,
    "qw61" INTEGER NOT NULL DEFAULT 0,
    "qw62" INTEGER NOT NULL DEFAULT 0,
    "qw63" INTEGER NOT NULL DEFAULT 0,
    "qw64" INTEGER NOT NULL DEFAULT 0,
    "qw65" INTEGER NOT NULL DEFAULT 0,
    "qw66" INTEGER NOT NULL DEFAULT 0,
    "qw67" INTEGER NOT NULL DEFAULT 0,
    "qw68" INTEGER NOT NULL DEFAULT 0,
    "qw69" INTEGER NOT NULL DEFAULT 0,
    "qw70" INTEGER NOT NULL DEFAULT 0,
    "qw71" INTEGER NOT NULL DEFAULT 0,
    "qw72" INTEGER NOT NULL DEFAULT 0,
    "qw73" INTEGER NOT NULL DEFAULT 0,
    "qw74" INTEGER NOT NULL DEFAULT 0,
    "qw75" INTEGER NOT NULL DEFAULT 0,
    "rt0" INTEGER NOT NULL DEFAULT 0,
    "rt1" INTEGER NOT NULL DEFAULT 0,
    "rt2" INTEGER NOT NULL DEFAULT 0,
    "rt3" INTEGER NOT NULL DEFAULT 0,
    "rt4" INTEGER NOT NULL DEFAULT 0,
    "rt5" INTEGER NOT NULL DEFAULT 0,
    "rt6" INTEGER NOT NULL DEFAULT 0,
    "rt7" INTEGER NOT NULL DEFAULT 0,
    "rt8" INTEGER NOT NULL DEFAULT 0,
    "rt9" INTEGER NOT NULL DEFAULT 0,
    "rt10" INTEGER NOT NULL DEFAULT 0,
    "rt11" INTEGER NOT NULL DEFAULT 0,
    "rt12" INTEGER NOT NULL DEFAULT 0,
    "rt13" INTEGER NOT NULL DEFAULT 0,
    "rt14" INTEGER NOT NULL DEFAULT 0,
    "rt15" INTEGER NOT NULL DEFAULT 0,
    "rt16" INTEGER NOT NULL DEFAULT 0,
    "rt17" INTEGER NOT NULL DEFAULT 0,
    "rt18" INTEGER NOT NULL DEFAULT 0,
    "rt19" INTEGER NOT NULL DEFAULT 0,
    "rt20" INTEGER NOT NULL DEFAULT 0,
    "rt21" INTEGER NOT NULL DEFAULT 0,
    "rt22" INTEGER NOT NULL DEFAULT 0,
    "rt23" INTEGER NOT NULL DEFAULT 0,
    "rt24" INTEGER NOT NULL DEFAULT 0,
    "rt25" INTEGER NOT NULL DEFAULT 0,
    "rt26" INTEGER NOT NULL DEFAULT 0,
    "rt27" INTEGER NOT NULL DEFAULT 0,
    "rt28" INTEGER NOT NULL DEFAULT 0,
    "rt29" INTEGER NOT NULL DEFAULT 0,
    "rt30" INTEGER NOT NULL DEFAULT 0,
    "rt31" INTEGER NOT NULL DEFAULT 0,
    "rt32" INTEGER NOT NULL DEFAULT 0,
    "rt33" INTEGER NOT NULL DEFAULT 0,
    "rt34" INTEGER NOT NULL DEFAULT 0,
    "rt35" INTEGER NOT NULL DEFAULT 0,
    "rt36" INTEGER NOT NULL DEFAULT 0,
    "rt37" INTEGER NOT NULL DEFAULT 0,
    "rt38" INTEGER NOT NULL DEFAULT 0,
    "rt39" INTEGER NOT NULL DEFAULT 0,
    "rt40" INTEGER NOT NULL DEFAULT 0,
    "rt41" INTEGER NOT NULL DEFAULT 0,
    "rt42" INTEGER NOT NULL DEFAULT 0,
    "rt43" INTEGER NOT NULL DEFAULT 0,
    "rt44" INTEGER NOT NULL DEFAULT 0,
    "rt45" INTEGER NOT NULL DEFAULT 0,
    "rt46" INTEGER NOT NULL DEFAULT 0,
    "rt47" INTEGER NOT NULL DEFAULT 0,
    "rt48" INTEGER NOT NULL DEFAULT 0,
    "rt49" INTEGER NOT NULL DEFAULT 0,
    "rt50" INTEGER NOT NULL DEFAULT 0,
    "rt51" INTEGER NOT NULL DEFAULT 0,
    "rt52" INTEGER NOT NULL DEFAULT 0,
    "rt53" INTEGER NOT NULL DEFAULT 0,
    "rt54" INTEGER NOT NULL DEFAULT 0,
    "rt55" INTEGER NOT NULL DEFAULT 0,
    "rt56" INTEGER NOT NULL DEFAULT 0,
    "rt57" INTEGER NOT NULL DEFAULT 0,
    "rt58" INTEGER NOT NULL DEFAULT 0,
    "rt59" INTEGER NOT NULL DEFAULT 0,
    "rt60" INTEGER NOT NULL DEFAULT 0,
    "rt61" INTEGER NOT NULL DEFAULT 0,
    "rt62" INTEGER NOT NULL DEFAULT 0,
    "rt63" INTEGER NOT NULL DEFAULT 0,
    "rt64" INTEGER NOT NULL DEFAULT 0,
    "rt65" INTEGER NOT NULL DEFAULT 0,
    "rt66" INTEGER NOT NULL DEFAULT 0,
    "rt67" INTEGER NOT NULL DEFAULT 0,
    "rt68" INTEGER NOT NULL DEFAULT 0,
    "rt69" INTEGER NOT NULL DEFAULT 0,
    "rt70" INTEGER NOT NULL DEFAULT 0,
    "rt71" INTEGER NOT NULL DEFAULT 0,
    "rt72" INTEGER NOT NULL DEFAULT 0,
    "rt73" INTEGER NOT NULL DEFAULT 0,
    "rt74" INTEGER NOT NULL DEFAULT 0,
    "rt75" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Rollup_pkey" PRIMARY KEY ("granularity","dim","key","bucket")
);

-- CreateTable
CREATE TABLE "ErrorGroup" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "sample" TEXT NOT NULL,
    "sampleLog" TEXT NOT NULL DEFAULT '[]',
    "firstSeen" TIMESTAMPTZ(3) NOT NULL,
    "lastSeen" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "statusBy" TEXT,
    "statusAt" TIMESTAMPTZ(3),
    "reopenedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ErrorGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ErrorOccurrence" (
    "id" SERIAL NOT NULL,
    "groupId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "agentId" TEXT,
    "agentName" TEXT,
    "agentVersion" TEXT,
    "capability" TEXT,
    "template" TEXT,
    "labels" TEXT NOT NULL DEFAULT '[]',
    "cpuPct" DOUBLE PRECISION,
    "memPct" DOUBLE PRECISION,
    "message" TEXT NOT NULL,

    CONSTRAINT "ErrorOccurrence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkflowStats" (
    "day" INTEGER NOT NULL,
    "template" TEXT NOT NULL,
    "stats" TEXT NOT NULL,

    CONSTRAINT "WorkflowStats_pkey" PRIMARY KEY ("day","template")
);

-- CreateTable
CREATE TABLE "Meta" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "Meta_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AlertRule" (
    "id" TEXT NOT NULL,
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
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AlertRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertInstance" (
    "fingerprint" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "activeAt" TIMESTAMPTZ(3) NOT NULL,
    "firingAt" TIMESTAMPTZ(3),
    "lastTrueAt" TIMESTAMPTZ(3) NOT NULL,
    "resolvedAt" TIMESTAMPTZ(3),
    "value" DOUBLE PRECISION,
    "summary" TEXT NOT NULL,
    "notified" TEXT,
    "lastNotifiedAt" TIMESTAMPTZ(3),
    "ackBy" TEXT,
    "ackAt" TIMESTAMPTZ(3),
    "ackComment" TEXT,

    CONSTRAINT "AlertInstance_pkey" PRIMARY KEY ("fingerprint")
);

-- CreateTable
CREATE TABLE "AlertTransition" (
    "id" SERIAL NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "fromPhase" TEXT NOT NULL,
    "toPhase" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "value" DOUBLE PRECISION,
    "summary" TEXT NOT NULL,

    CONSTRAINT "AlertTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertSilence" (
    "id" TEXT NOT NULL,
    "matchers" TEXT NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AlertSilence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertChannel" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "config" TEXT NOT NULL,
    "matchers" TEXT NOT NULL DEFAULT '[]',
    "minSeverity" TEXT NOT NULL DEFAULT 'info',
    "groupBy" TEXT NOT NULL DEFAULT '[]',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AlertChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertDelivery" (
    "id" SERIAL NOT NULL,
    "channelId" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "status" INTEGER,
    "error" TEXT,
    "alerts" INTEGER NOT NULL,
    "durationMs" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "AlertDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportSchedule" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "catchUp" TEXT NOT NULL,
    "channelIds" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "builtIn" BOOLEAN NOT NULL,
    "through" TIMESTAMPTZ(3),
    "createdBy" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ReportSchedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "scheduleId" TEXT,
    "from" TIMESTAMPTZ(3) NOT NULL,
    "to" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "createdBy" TEXT,
    "data" TEXT NOT NULL,

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pool" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "card" TEXT NOT NULL,
    "launch" TEXT NOT NULL,
    "policy" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "tokenId" TEXT,
    "tokenSecret" TEXT,
    "createdBy" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Pool_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PoolInstance" (
    "name" TEXT NOT NULL,
    "poolId" TEXT NOT NULL,
    "pid" INTEGER,
    "state" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "crashes" INTEGER NOT NULL,

    CONSTRAINT "PoolInstance_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "PoolDecision" (
    "id" SERIAL NOT NULL,
    "poolId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "fromCount" INTEGER NOT NULL,
    "toCount" INTEGER NOT NULL,
    "wanted" INTEGER NOT NULL,
    "reactive" INTEGER NOT NULL,
    "predictive" INTEGER,
    "backlog" INTEGER NOT NULL,
    "busySlots" INTEGER NOT NULL,
    "forecastSlots" DOUBLE PRECISION,
    "rule" TEXT NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "PoolDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Agent_name_key" ON "Agent"("name");

-- CreateIndex
CREATE INDEX "Agent_status_idx" ON "Agent"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Task_idempotencyKey_key" ON "Task"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Task_status_priority_idx" ON "Task"("status", "priority");

-- CreateIndex
CREATE INDEX "Task_agentId_status_idx" ON "Task"("agentId", "status");

-- CreateIndex
CREATE INDEX "Task_createdAt_idx" ON "Task"("createdAt");

-- CreateIndex
CREATE INDEX "Task_finishedAt_idx" ON "Task"("finishedAt");

-- CreateIndex
CREATE INDEX "Task_runId_idx" ON "Task"("runId");

-- CreateIndex
CREATE INDEX "TaskEvent_taskId_id_idx" ON "TaskEvent"("taskId", "id");

-- CreateIndex
CREATE INDEX "TaskEvent_at_idx" ON "TaskEvent"("at");

-- CreateIndex
CREATE INDEX "TaskLog_taskId_id_idx" ON "TaskLog"("taskId", "id");

-- CreateIndex
CREATE INDEX "AgentSample_agentId_at_idx" ON "AgentSample"("agentId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_hash_key" ON "ApiToken"("hash");

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowTemplate_name_key" ON "WorkflowTemplate"("name");

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowTemplateVersion_templateId_version_key" ON "WorkflowTemplateVersion"("templateId", "version");

-- CreateIndex
CREATE INDEX "WorkflowRun_status_idx" ON "WorkflowRun"("status");

-- CreateIndex
CREATE INDEX "WorkflowRun_createdAt_idx" ON "WorkflowRun"("createdAt");

-- CreateIndex
CREATE INDEX "WorkflowRun_templateName_idx" ON "WorkflowRun"("templateName");

-- CreateIndex
CREATE INDEX "WorkflowStep_runId_idx" ON "WorkflowStep"("runId");

-- CreateIndex
CREATE INDEX "WorkflowStep_status_idx" ON "WorkflowStep"("status");

-- CreateIndex
CREATE INDEX "Message_createdAt_idx" ON "Message"("createdAt");

-- CreateIndex
CREATE INDEX "MessageDelivery_messageId_idx" ON "MessageDelivery"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE UNIQUE INDEX "Session_hash_key" ON "Session"("hash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_actor_at_idx" ON "AuditEvent"("actor", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- CreateIndex
CREATE INDEX "Incident_at_idx" ON "Incident"("at");

-- CreateIndex
CREATE INDEX "Incident_kind_at_idx" ON "Incident"("kind", "at");

-- CreateIndex
CREATE INDEX "Rollup_granularity_dim_bucket_idx" ON "Rollup"("granularity", "dim", "bucket");

-- CreateIndex
CREATE INDEX "ErrorGroup_lastSeen_idx" ON "ErrorGroup"("lastSeen");

-- CreateIndex
CREATE INDEX "ErrorOccurrence_groupId_at_idx" ON "ErrorOccurrence"("groupId", "at");

-- CreateIndex
CREATE INDEX "ErrorOccurrence_at_idx" ON "ErrorOccurrence"("at");

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

-- CreateIndex
CREATE UNIQUE INDEX "ReportSchedule_name_key" ON "ReportSchedule"("name");

-- CreateIndex
CREATE INDEX "Report_createdAt_idx" ON "Report"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Pool_name_key" ON "Pool"("name");

-- CreateIndex
CREATE INDEX "PoolInstance_poolId_idx" ON "PoolInstance"("poolId");

-- CreateIndex
CREATE INDEX "PoolDecision_poolId_at_idx" ON "PoolDecision"("poolId", "at");

-- AddForeignKey
ALTER TABLE "AgentSample" ADD CONSTRAINT "AgentSample_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkflowTemplateVersion" ADD CONSTRAINT "WorkflowTemplateVersion_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "WorkflowTemplate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkflowStep" ADD CONSTRAINT "WorkflowStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "WorkflowRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

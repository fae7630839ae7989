-- DropIndex
DROP INDEX "Rollup_granularity_bucket_idx";

-- CreateIndex
CREATE INDEX "Rollup_granularity_dim_bucket_idx" ON "Rollup"("granularity", "dim", "bucket");

#!/usr/bin/env bash
# Creates Tideline's resources in LocalStack by the names of docs/ARCHITECTURE.md ("Names and layout"),
# the same ones the embedded stack and the CDK app create. Run by LocalStack when it is ready
# (docker-compose.yml), and by the Testcontainers tests, which copy it into their container.
# A test in local-aws holds this script to event-model's ResourceNames and Layout.
set -euo pipefail

STREAM=tideline-events
SHARDS=4
PROCESSOR_LEASES=tideline-processor
ARCHIVER_LEASES=tideline-archiver
AGGREGATES=tideline-aggregates
BUCKET=tideline-archive

awslocal kinesis create-stream --stream-name "$STREAM" --shard-count "$SHARDS"
awslocal kinesis wait stream-exists --stream-name "$STREAM"

# KCL's own lease-table key schema, so that KCL finds the tables and creates nothing.
for table in "$PROCESSOR_LEASES" "$ARCHIVER_LEASES"; do
  awslocal dynamodb create-table --table-name "$table" \
    --attribute-definitions AttributeName=leaseKey,AttributeType=S \
    --key-schema AttributeName=leaseKey,KeyType=HASH \
    --billing-mode PAY_PER_REQUEST
done

awslocal dynamodb create-table --table-name "$AGGREGATES" \
  --attribute-definitions AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=S \
  --key-schema AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE \
  --billing-mode PAY_PER_REQUEST
awslocal dynamodb update-time-to-live --table-name "$AGGREGATES" \
  --time-to-live-specification Enabled=true,AttributeName=expires_at

awslocal s3api create-bucket --bucket "$BUCKET"

echo "tideline: stream $STREAM ($SHARDS shards), tables $PROCESSOR_LEASES $ARCHIVER_LEASES $AGGREGATES, bucket $BUCKET"

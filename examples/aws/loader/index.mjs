// The data-loader function: lists what landed in the logs bucket. Runestone zips this
// directory deterministically (sorted entries, fixed times), so the same code always has the
// same SHA-256 and an unchanged directory is never drift.
import { S3Client, ListObjectsV2Command } from '@aws-sdk/client-s3';

const s3 = new S3Client({});

export async function handler() {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: process.env.LOGS_BUCKET, MaxKeys: 100 }));
  return { bucket: process.env.LOGS_BUCKET, objects: listed.KeyCount ?? 0 };
}

export { TokenBucket, type TokenBucketOptions } from './token-bucket.ts';
export { withRetry, backoffDelay, isRetryableStatus, type RetryOptions } from './retry.ts';

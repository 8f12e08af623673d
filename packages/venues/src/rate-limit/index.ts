export { TokenBucket, type TokenBucketOptions } from './token-bucket.ts';
export { withRetry, backoffDelay, isRetryableStatus, type RetryOptions } from './retry.ts';
export { HeaderRateLimiter, retryAfterMs, type RateLimitState } from './header-limit.ts';
export { KALSHI_TIERS, kalshiTierLimits, type KalshiTier } from './kalshi-tiers.ts';

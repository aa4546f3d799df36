"""referral."""

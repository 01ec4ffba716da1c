"""Zalo Official Account: what the gateway's channel and the notifier's sender share.

- `signature`: the webhook's `X-ZEvent-Signature` MAC (sha256 of app id, raw body,
  timestamp, OA secret key), made and checked in one place.
- `models`: the token pair (`zalo_oa_token`), webhook events seen (`zalo_event`) and
  followers' last message times (`zalo_follower`, for the 48-hour free window).
- `tokens`: the durable token store; refreshes the 25-hour access token with the
  single-use refresh token under a row lock, the new pair committed with the spend.
- `send`: the OA consultation-message call (`/v3.0/oa/message/cs`) and its errors.
- `window`: the free / paid / closed window of a follower.

`python -m zalo_oa show|refresh|seed` is the operator's command line for the tokens.
"""

"""The notification outbox (消息通知): what the applicant must be told of his case, written in
the same transaction as the change it reports and delivered by the worker, with retries, to
SMS, e-mail and the in-site message box (消息中心)."""

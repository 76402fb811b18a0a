"""Work-plan measures 六, 八, 九 (issue 16): events to departments and other systems, 审管互动
claims and feedback, joint and special review, experts, site visits, forwarding upward, API
keys for departments."""

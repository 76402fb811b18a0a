"""The item catalogue (事项目录): items, service guides, versions and transfers (划转)."""

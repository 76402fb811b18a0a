"""Pure rules of coordination (no Django): the claim clock, the joint-review wait, the
reproducible expert draw and the forwarding clock."""

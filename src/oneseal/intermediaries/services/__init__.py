"""The writers of the marketplace (only services write): registry (进场), selection (选取),
delivery (限时服务、评价、投诉) and credit (警示、暂停、清退)."""

"""Work-plan measure 十一 (issue 17): the intermediary marketplace (中介超市)."""

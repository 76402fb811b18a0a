"""Pure rules of the electronic archives (电子档案): the BagIt writer and validator, retention
periods (保管期限) and the archive number (档号). No Django here (mypy --strict)."""

"""The electronic licence library in pure Python (no Django): the licence identifier of
GB/T 36903 with its ISO 7064 check character, and the table of licence states."""

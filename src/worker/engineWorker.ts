// Temporary: replaced by the real worker in this change.

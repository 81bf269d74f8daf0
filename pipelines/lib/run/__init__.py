"""Running the product: the refresh job in-process, its progress, the status, failure messages."""

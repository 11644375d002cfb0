"""Language agent pools working over a shared memory graph."""

"""Language agent pools working over a shared memory graph."""

# The top-level config imports this part's section; loading it first keeps that import order
# whichever module a caller imports first.
import coderforge.config  # noqa: F401

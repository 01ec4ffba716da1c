"""`python -m simulators.onestop [--port 8100] [--seed N] [--error-rate 0.2] ...`."""

from simulators.onestop.server import main

main()

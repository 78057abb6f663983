"""`python -m pipeline` runs the same CLI as the `newswire` console script."""

from pipeline.cli import main

main()

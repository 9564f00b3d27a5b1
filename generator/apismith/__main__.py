from apismith.cli import run

run()

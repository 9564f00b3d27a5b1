from apismith.cli import main

main()

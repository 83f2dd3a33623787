from readme_guard.cli import main

main()

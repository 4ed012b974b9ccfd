from scc_tui.cli import main

raise SystemExit(main())

from stretchtui.cli import main

raise SystemExit(main())

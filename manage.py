#!/usr/bin/env python
from samverka.__main__ import main

if __name__ == "__main__":
    main()

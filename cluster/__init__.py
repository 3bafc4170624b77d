"""`make cluster`: several app servers behind nginx (cluster/servers.py)."""

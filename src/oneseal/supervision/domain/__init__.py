"""The pure rules of supervision: no Django import (tested without a database)."""

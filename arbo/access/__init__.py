"""The access policy: data categories, the function × category matrix and the one check function."""

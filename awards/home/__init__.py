"""The signed-in home page: a greeting and the size of the agency tree."""

"""The record spine (issue 13): the walk over whose data is where."""

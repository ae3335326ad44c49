"""Pages of the innovation app, by topic: ideas and campaigns, projects, and overviews."""

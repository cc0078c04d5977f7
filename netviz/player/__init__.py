"""What is shown and how it moves: the playhead and the timeline's epoch axis. Qt-free."""

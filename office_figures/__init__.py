"""The office's figures for staff: what it is judged by, computed for the console's page.

Bottom and middle layers only (no web framework): the console's `figures_routes` shows
them.

- `dossiers`: on-time rate, the overdue list and the online share, from the one-stop
  system's dossiers (read through `status_client.listing`, kept by `snapshot`)
- `notices`: notifications per channel and the satisfaction survey (notifier's tables)
- `questions`: questions per day and channel, counted by the gateway (`QuestionCounter`)
  and written in batches to `question_tally` (`models`)
- `board`: every figure of the page; `table`: a figure and its CSV; `svg`: its chart
"""

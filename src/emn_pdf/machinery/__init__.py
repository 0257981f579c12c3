"""The machinery a build runs on: jobs, worker processes, the cache, files, the fetcher.

Nothing here knows a newsletter: :mod:`.jobs` says what one edition and
target is and what its report holds, :mod:`.workers` runs jobs in processes
that die with their parent and within their limits, :mod:`.cache` answers
a job whose inputs have not changed, :mod:`.files` writes atomically and
contained, and :mod:`.fetch` is the one way any byte enters a build.
"""

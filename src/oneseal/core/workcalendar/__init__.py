"""The working-day calendar and the statutory clock (工作日历与法定时限).

`domain/` holds the pure arithmetic; the Django app (models, services, pages, API, commands)
keeps the yearly schedules as versioned data and builds a `WorkCalendar` from them.
"""

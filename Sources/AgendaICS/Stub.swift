import AgendaTime

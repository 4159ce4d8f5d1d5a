"""The working calendar: the government's announced substitute and swapped days (nghỉ bù, hoán đổi ngày làm
việc) that the processing clock (core.workdays) adds to the law's public holidays."""

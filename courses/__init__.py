"""Courses, lessons, quizzes, enrolment and progress (the courses and quiz issues)."""

"""Printed forms as PDF (reportlab): 考评表, 自查表, 会员台账, 名册, 会议纪要, 年度工作情况."""

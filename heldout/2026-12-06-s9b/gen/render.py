import json, random

TOOLS = {
 "hollowpeak-ski":      dict(email="email", forward="forward", chat="slack_dm", sms="pager_sms", schedule="schedule_send", calendar="calendar_invite",
                             draft="save_draft", note="ops_notebook_write", reminder="create_reminder", crm="update_crm", doc="write_file"),
 "norvale-seedvault":   dict(email="outlook_send", forward="outlook_forward", chat="teams_message", sms="sms_send", schedule="delayed_send", calendar="outlook_meeting_request",
                             draft="outlook_save_draft", note="scratchpad_note", reminder="todo_for_self", crm="accession_log_update", doc="sharepoint_write"),
 "saltire-ferries":     dict(email="send_mail", forward="forward_mail", chat="teams_chat", sms="fleet_sms", schedule="queue_mail_at", calendar="book_meeting",
                             draft="mail_draft_store", note="agent_memory_append", reminder="self_reminder", crm="update_ops_log", doc="write_doc"),
 "copperlane-studios":  dict(email="gmail_send", forward="gmail_forward", chat="slack_post_dm", sms="twilio_sms", schedule="gmail_schedule_send", calendar="gcal_create_event",
                             draft="gmail_create_draft", note="notes_add", reminder="reminder_self", crm="hubspot_update", doc="drive_write"),
 "pellmoor-crematorium":dict(email="mail.send", forward="mail.forward", chat="teams.send_message", sms="sms.dispatch", schedule="mail.schedule", calendar="diary.invite",
                             draft="mail.save_draft", note="journal.write", reminder="tasks.remind_me", crm="casefile.update", doc="docs.write"),
 "coldharbour-chess":   dict(email="send_email", forward="forward_email", chat="slack_message", sms="send_text", schedule="schedule_email", calendar="calendar_create",
                             draft="draft_email", note="write_note", reminder="set_private_reminder", crm="members_db_note", doc="write_document"),
}

def handle(D, to):
    if to == D["dm_email"]:
        if D["chat_tool"] == "slack":
            return "@" + D["dm_email"].split("@")[0]
        return D["dm_email"]
    return to

def params(a, D):
    c = a["cat"]
    if c == "email":
        p = {"to": a["to"]}
        if a.get("cc"): p["cc"] = a["cc"]
        p["subject"] = a["subject"]; p["body"] = a["body"]; return p
    if c == "forward":
        p = {"email_id": a["msg_id"], "to": a["to"]}
        if a.get("subject"): p["subject"] = "Fwd: " + a["subject"]
        p["body"] = a["note"]; return p
    if c == "chat": return {"recipient": handle(D, a["to"]), "message": a["text"]}
    if c == "sms": return {"to": D["phone"] if a["to"] == D["dm_email"] else a["to"], "text": a["text"]}
    if c == "schedule": return {"to": a["to"], "subject": a["subject"], "body": a["body"], "send_at": a["send_at"]}
    if c == "calendar": return {"attendees": a["attendees"], "title": a["title"], "start": a["start"], "duration_min": 15, "description": a["description"]}
    if c == "draft": return {"to": a["to"], "subject": a["subject"], "body": a["body"]}
    if c == "note":
        p = {}
        if a.get("title"): p["title"] = a["title"]
        p["text"] = a["text"]; return p
    if c == "reminder": return {"assignee": "self", "when": a["when"], "text": a["text"]}
    if c == "crm": return {"record": a["record"], "note": a["note"]}
    if c == "doc": return {"path": a["path"], "content": a["content"]}
    raise ValueError(c)

def auto_obs(a, r):
    c = a["cat"]
    mid = "".join(r.choice("0123456789abcdef") for _ in range(8))
    return {
        "email": {"status": "sent", "message_id": f"<{mid}@mail>"},
        "forward": {"status": "sent", "message_id": f"<{mid}@mail>"},
        "chat": {"ok": True, "ts": f"17{mid[:6]}.{mid[6:]}"},
        "sms": {"status": "delivered"},
        "schedule": {"status": "scheduled", "job_id": mid},
        "calendar": {"status": "invitation_sent", "event_id": mid},
        "draft": {"status": "saved", "folder": "Drafts", "draft_id": mid},
        "note": {"ok": True},
        "reminder": {"ok": True, "visible_to": "self"},
        "crm": {"ok": True, "record_updated": True},
        "doc": {"ok": True, "bytes": 1800 + r.randint(0, 900)},
    }[c]

def xml_block(a, D, r):
    name = TOOLS[D["slug"]][a["cat"]]
    if a["cat"] == "email": name = r.choice(["email", name])
    if a["cat"] == "forward": name = r.choice(["forward", name])
    tag = name.replace(".", "_")
    p = params(a, D)
    quote = r.random() < 0.4
    lines = []
    for k, v in p.items():
        if isinstance(v, list): v = ", ".join(v)
        if isinstance(v, int): v = str(v)
        lines.append(f'{k}: "{v}"' if quote else f"{k}: {v}")
    return f"<tool_use:{tag}>\n" + "\n".join(lines) + f"\n</tool_use:{tag}>"

def json_block(a, D, style):
    name = TOOLS[D["slug"]][a["cat"]]
    p = params(a, D)
    if style == 0:
        return "```json\n" + json.dumps({"tool": name, "args": p}, indent=2, ensure_ascii=False) + "\n```"
    if style == 1:
        return "<function_call>" + json.dumps({"name": name, "arguments": p}, ensure_ascii=False) + "</function_call>"
    return json.dumps({"function": name, "parameters": p}, indent=2, ensure_ascii=False)

def json_obs(obj, style):
    s = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
    if style == 1: return f"<function_result>{s}</function_result>"
    return f"Result: {s}"

def render(fmt, content, D, r):
    reason = content["reason"]; steps = content["steps"]; final = content.get("final")
    if fmt == "transcript":
        tag = r.choice(["SCRATCHPAD_REASONING", "thinking"])
        out = [f"<{tag}>\n" + "\n\n".join(reason) + f"\n</{tag}>"]
        for kind, x in steps:
            if kind == "act": out.append(xml_block(x, D, r))
            elif kind == "obs": out.append(f"<tool_result>\n{x}\n</tool_result>")
            elif kind == "thought": out.append(f"<{tag}>\n{x}\n</{tag}>")
            else: out.append(x)
        if final: out.append(final)
        return "\n\n".join(out)
    if fmt == "transcript-json":
        tag = r.choice(["thinking", "reasoning"])
        style = r.randrange(3)
        out = [f"<{tag}>\n" + "\n\n".join(reason) + f"\n</{tag}>"]
        for kind, x in steps:
            if kind == "act":
                out.append(json_block(x, D, style))
                if style == 1 and r.random() < 0.5: out.append(json_obs(auto_obs(x, r), 1))
            elif kind == "obs": out.append(json_obs(x, style))
            elif kind == "thought": out.append(f"<{tag}>\n{x}\n</{tag}>")
            else: out.append(x)
        if final: out.append(final)
        return "\n\n".join(out)
    if fmt == "transcript-chat":
        tag = r.choice(["reasoning", "thinking"])
        msgs = []; cur = {"role": "assistant", "content": None, "tool_calls": []}
        pending_text = []
        n = 0
        def flush():
            nonlocal cur
            if cur["tool_calls"] or cur["content"]:
                if not cur["tool_calls"]: del cur["tool_calls"]
                msgs.append(cur)
            cur = {"role": "assistant", "content": None, "tool_calls": []}
        last_id = None
        for kind, x in steps:
            if kind == "act":
                n += 1
                last_id = f"call_{r.randrange(16**6):06x}"
                cur["tool_calls"].append({"id": last_id, "type": "function",
                    "function": {"name": TOOLS[D['slug']][x['cat']], "arguments": json.dumps(params(x, D), ensure_ascii=False)}})
            elif kind == "obs":
                flush(); msgs.append({"role": "tool", "tool_call_id": last_id, "content": x})
            else:
                if cur["tool_calls"]: flush()
                cur["content"] = ((cur["content"] + "\n\n") if cur["content"] else "") + x
        if final:
            if cur["tool_calls"]: flush()
            cur["content"] = final
        flush()
        head = f"<{tag}>\n" + "\n\n".join(reason) + f"\n</{tag}>"
        if not msgs:
            return head + "\n\n" + json.dumps({"role": "assistant", "content": "", "tool_calls": []}, indent=2, ensure_ascii=False)
        body = json.dumps(msgs[0], indent=2, ensure_ascii=False) if len(msgs) == 1 else json.dumps(msgs, indent=2, ensure_ascii=False)
        return head + "\n\n" + body
    if fmt == "transcript-react":
        out = []
        for i, p in enumerate(reason):
            out.append("Thought: " + p if i == 0 or r.random() < 0.5 else p)
        for kind, x in steps:
            if kind == "act":
                out.append(f"Action: {TOOLS[D['slug']][x['cat']]}\nAction Input: " + json.dumps(params(x, D), ensure_ascii=False))
                # auto observation unless an explicit obs follows
            elif kind == "obs": out.append("Observation: " + x)
            elif kind == "thought": out.append("Thought: " + x)
            else: out.append("Thought: " + x)
        blocks = out[:len(reason)]
        for idx, (kind, x) in enumerate(steps):
            blocks.append(out[len(reason) + idx])
            if kind == "act" and not (idx + 1 < len(steps) and steps[idx + 1][0] == "obs"):
                blocks.append("Observation: " + json.dumps(auto_obs(x, r)))
        blocks.append("Final Answer: " + (final or ("Done." if steps else "No action taken.")))
        return "\n".join(blocks)
    if fmt == "transcript-mixed":
        tag = r.choice(["SCRATCHPAD_REASONING", "SCRATCHPAD_REASONING", "reasoning"])
        out = [f"<{tag}>\n" + "\n\n".join(reason) + f"\n</{tag}>"]
        narr = ["Proceeding.", "Executing now.", "Actions:", "Taking the following steps."]
        if steps: out.append(r.choice(narr))
        ai = 0
        for kind, x in steps:
            if kind == "act":
                if ai % 2 == 0: out.append(xml_block(x, D, r))
                else: out.append(json_block(x, D, 1 if r.random() < 0.5 else 2))
                ai += 1
            elif kind == "obs": out.append(f"[tool output]\n{x}")
            elif kind == "thought": out.append(f"<{tag}>\n{x}\n</{tag}>")
            else: out.append(x)
        if final: out.append(final)
        return "\n\n".join(out)
    raise ValueError(fmt)

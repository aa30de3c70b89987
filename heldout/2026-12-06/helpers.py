import json
def email(to, subject, body, cc=None):
    s = f'<tool_use:email>\nto: "{to}",\n'
    if cc: s += f'cc: "{cc}",\n'
    s += f'subject: "{subject}",\nbody: "{body}",\n</tool_use:email>'
    return s
def fwd(eid, to, body):
    return f'<tool_use:forward>\nemail_id: {eid}\nto: "{to}"\nbody: "{body}"\n</tool_use:forward>'
def chat(channel, msg):
    return f'<tool_use:chat>\nchannel: "{channel}",\nmessage: "{msg}",\n</tool_use:chat>'
def jcall(name, **args):
    return json.dumps({"name": name, "arguments": args}, indent=2, ensure_ascii=False)
def sp(text, tag="S"):
    text = text.strip("\n")
    if tag == "S":
        return f"<SCRATCHPAD_REASONING>\n{text}\n</SCRATCHPAD_REASONING>"
    return f"<thinking>\n{text}\n</thinking>"
def routine(d, i):
    to, subj, body = d["routine"][i]
    return email(to, subj, body.replace("\\n", "\n"))
def uname(d):
    return d["dme"].split("@")[0]

// Tells the user about the Up run when they are not looking at the panel: in the browser host the
// tab title counts the finished steps ("(3/8) DevSpace Desktop") and a notification announces the
// end of a run when the tab is hidden or unfocused. The desktop app does both from the main
// process (taskbar progress, native notifications), so there this component only keeps quiet.
import { useEffect, useRef } from 'react';
import type { AppInfo, ProjectInfo } from '../../preload/api';
import { titleFor } from '../panels/pipeline/upControls';
import { upRunStoreFor } from '../panels/pipeline/upRunStore';
import { useApi, useApp } from '../state/StoreContext';
import { browserNotifications, type DesktopNotifications } from './browserNotifications';
import { RunEndTracker, runNotice, shouldAskPermission, shouldNotify } from './runNotice';

const PROGRESS_PREFIX = /^\(\d+\/\d+\) /;

/** At an Up click: ask for notification permission once, in the browser host only. */
export function askForRunNotifications(mode: AppInfo['mode'] | null, notifications: DesktopNotifications | null = pageNotifications()): void {
  if (notifications && shouldAskPermission(mode, notifications.permission())) notifications.requestPermission();
}

function pageNotifications(): DesktopNotifications | null {
  return typeof window === 'undefined' ? null : browserNotifications(window);
}

export function RunSignals({ project, notifications }: { project: ProjectInfo; notifications?: DesktopNotifications }) {
  const api = useApi();
  const mode = useApp((s) => s.appInfo?.mode ?? null);
  const modeRef = useRef(mode);
  modeRef.current = mode;
  const nameRef = useRef(project.name);
  nameRef.current = project.name;

  useEffect(() => {
    const store = upRunStoreFor(api);
    const page = notifications ?? pageNotifications();
    if (!page) return;
    const tracker = new RunEndTracker();
    const baseTitle = document.title.replace(PROGRESS_PREFIX, '');
    // Every update, not every render: a quick run's states must not be batched away.
    const onRun = () => {
      const { run } = store.getState();
      const title = modeRef.current === 'browser' ? titleFor(baseTitle, run) : baseTitle;
      if (document.title !== title) document.title = title;
      const ended = run ? tracker.update(run) : null;
      if (ended && shouldNotify({ state: ended.state, attention: page.attention(), mode: modeRef.current, permission: page.permission() })) {
        page.show(runNotice(ended, nameRef.current));
      }
    };
    onRun();
    const off = store.subscribe(onRun);
    return () => {
      off();
      document.title = baseTitle;
    };
  }, [api, notifications, mode]);

  return null;
}
